import { useState, type FormEvent } from 'react';
import {
  Anchor,
  Button,
  Card,
  Code,
  Container,
  Group,
  List,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { SignInInput, type MailDetail } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { PageTitle } from '../../../components/page-title';
import { useFormErrors } from '../../../lib/form';
import { useDates, useMe } from '../../../lib/session';
import { myMailQueryOptions, useOpenMailbox } from '../api/mail-api';

const URL_RE = /https?:\/\/[^\s<>"')]+/g;

/**
 * 我的郵件: the recipient's own mail with its links (decision 020). Signed in, it lists at once;
 * otherwise (a newcomer not yet verified, no SMTP) the e-mail address and password open it.
 */
export function MailboxPage() {
  const { t } = useTranslation('auth');
  const me = useMe();
  const signedIn = me?.stage === 'signed_in';
  const mine = useQuery({ ...myMailQueryOptions, enabled: signedIn });
  const open = useOpenMailbox();
  const form = useFormErrors();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const input = { email: email.trim(), password };
    if (!form.check(SignInInput, input)) return;
    open.mutate(input, { onError: (err) => form.fromApi(err) });
  };

  const items = signedIn ? mine.data?.items : open.data?.items;
  return (
    <Container size="md" py="lg" px="sm">
      <PageTitle>{t('mailbox.title')}</PageTitle>
      <Stack gap="md">
        <Text>{signedIn ? t('mailbox.introSignedIn') : t('mailbox.intro')}</Text>
        {!signedIn && !open.data && (
          <form onSubmit={onSubmit} noValidate>
            <Stack gap="sm" maw={420}>
              <ErrorAlert error={open.error} />
              <TextInput
                label={t('fields.email')}
                type="email"
                autoComplete="email"
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                error={form.errors.email}
                required
              />
              <PasswordInput
                label={t('fields.password')}
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                error={form.errors.password}
                required
                visibilityToggleButtonProps={{ 'aria-label': t('fields.togglePassword') }}
              />
              <Group>
                <Button type="submit" loading={open.isPending}>
                  {t('mailbox.submit')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
        {signedIn && <ErrorAlert error={mine.error} />}
        {signedIn && mine.isPending && <Text>{t('common:loading')}</Text>}
        {items && items.length === 0 && <Text role="status">{t('mailbox.empty')}</Text>}
        {items?.map((m) => (
          <MailCard key={m.id} mail={m} />
        ))}
      </Stack>
    </Container>
  );
}

function MailCard({ mail }: { mail: MailDetail }) {
  const { t } = useTranslation('auth');
  const { dateTime } = useDates();
  const links = [...new Set(mail.bodyText.match(URL_RE) ?? [])];
  const titleId = `mail-${mail.id}`;
  return (
    <Card withBorder component="article" aria-labelledby={titleId} data-testid="mailbox-item">
      <Title order={2} size="h4" id={titleId}>
        {mail.subject}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        {t('mailbox.createdAt')}：{dateTime(mail.createdAt)}
      </Text>
      {links.length > 0 && (
        <>
          <Text fw={600} size="sm">
            {t('mailbox.links')}
          </Text>
          <List spacing="xs" mb="sm">
            {links.map((href) => (
              <List.Item key={href}>
                <Anchor href={href} className="break-all" data-testid="mailbox-link">
                  {href}
                </Anchor>
              </List.Item>
            ))}
          </List>
        </>
      )}
      <Text fw={600} size="sm">
        {t('mailbox.text')}
      </Text>
      <Code block className="json-view" data-testid="mailbox-text">
        {mail.bodyText}
      </Code>
    </Card>
  );
}
