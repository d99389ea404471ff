import {
  Anchor,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  List,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert';
import { PageTitle } from '../../../components/page-title';
import { useDates } from '../../../lib/session';
import { mailQueryOptions } from '../api/mail-api';

const URL_RE = /https?:\/\/[^\s<>"')]+/g;

export function MailDetailPage({ mailId }: { mailId: string }) {
  const { t } = useTranslation('admin');
  const { dateTime } = useDates();
  const { data: mail, error, isPending } = useQuery(mailQueryOptions(mailId));
  const links = mail ? [...new Set(mail.bodyText.match(URL_RE) ?? [])] : [];
  return (
    <>
      <Anchor component={Link} to="/admin/mail" size="sm">
        {t('mail.backToList')}
      </Anchor>
      {isPending ? (
        <Text mt="md">{t('common:loading')}</Text>
      ) : !mail ? (
        <>
          <PageTitle mt="xs">{t('mail.detailTitle')}</PageTitle>
          <ErrorAlert error={error} />
        </>
      ) : (
        <>
          <PageTitle mt="xs">{mail.subject}</PageTitle>
          <Stack gap="lg">
            <Table variant="vertical" withTableBorder layout="fixed" maw={720}>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th w={140}>{t('mail.to')}</Table.Th>
                  <Table.Td className="break-all">{mail.toAddress}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('mail.status')}</Table.Th>
                  <Table.Td>{t(`mail.statuses.${mail.status}`)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('mail.template')}</Table.Th>
                  <Table.Td>
                    {mail.template}（{t(`common:language.${mail.locale}`)}）
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('mail.createdAt')}</Table.Th>
                  <Table.Td>{dateTime(mail.createdAt)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('mail.sentAt')}</Table.Th>
                  <Table.Td>{mail.sentAt ? dateTime(mail.sentAt) : t('common:none')}</Table.Td>
                </Table.Tr>
                {mail.lastError && (
                  <Table.Tr>
                    <Table.Th>{t('mail.lastError')}</Table.Th>
                    <Table.Td className="break-all">{mail.lastError}</Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>

            {links.length > 0 && (
              <Card withBorder component="section" aria-labelledby="mail-links-title">
                <Title order={2} size="h4" id="mail-links-title" mb="xs">
                  {t('mail.links')}
                </Title>
                <List spacing="xs">
                  {links.map((href) => (
                    <List.Item key={href}>
                      <Group gap="xs" wrap="nowrap" align="flex-start">
                        <Anchor href={href} className="break-all" data-testid="mail-link">
                          {href}
                        </Anchor>
                        <CopyButton value={href}>
                          {({ copied, copy }) => (
                            <Button
                              size="compact-xs"
                              variant="outline"
                              onClick={copy}
                              aria-label={t('mail.copyLink')}
                            >
                              {copied ? t('common:actions.copied') : t('common:actions.copy')}
                            </Button>
                          )}
                        </CopyButton>
                      </Group>
                    </List.Item>
                  ))}
                </List>
              </Card>
            )}

            <section aria-labelledby="mail-text-title">
              <Title order={2} size="h4" id="mail-text-title" mb="xs">
                {t('mail.textBody')}
              </Title>
              <Code block className="json-view" data-testid="mail-text">
                {mail.bodyText}
              </Code>
            </section>

            <section aria-labelledby="mail-html-title">
              <Title order={2} size="h4" id="mail-html-title" mb="xs">
                {t('mail.htmlBody')}
              </Title>
              <iframe sandbox="" srcDoc={mail.bodyHtml} title={t('mail.htmlFrame')} className="mail-frame" />
            </section>
          </Stack>
        </>
      )}
    </>
  );
}
