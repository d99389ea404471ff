import { useState, type FormEvent } from 'react';
import {
  Anchor,
  Button,
  Checkbox,
  Fieldset,
  Group,
  List,
  NativeSelect,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { PASSWORD_MIN, SignUpInput, type Locale } from '@dtp/contracts';
import { ErrorAlert } from '../../../components/error-alert';
import { RequiredNote } from '../../../components/required-note';
import { useFormErrors } from '../../../lib/form';
import { healthQueryOptions } from '../../../lib/session';
import { privacyNoticeQueryOptions, useResendVerification, useSignUp } from '../api/auth-api';
import { AuthCard } from './auth-card';

export function SignUpPage() {
  const { t, i18n } = useTranslation('auth');
  const signUp = useSignUp();
  const resend = useResendVerification();
  const form = useFormErrors();
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [locale, setLocale] = useState<Locale>(i18n.language === 'en' ? 'en' : 'zh-TW');
  const [consent, setConsent] = useState(false);
  const [optional, setOptional] = useState<Record<string, boolean>>({});
  const notice = useQuery(privacyNoticeQueryOptions);
  const health = useQuery(healthQueryOptions);
  const lang = i18n.language === 'en' ? 'en' : 'zh-TW';
  const required = notice.data?.purposes.filter((p) => p.required) ?? [];
  const optionalPurposes = notice.data?.purposes.filter((p) => !p.required) ?? [];

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!notice.data) return;
    // The one box above agrees to the required purposes; each optional purpose has its own.
    const consents = {
      ...Object.fromEntries(required.map((p) => [p.code, consent])),
      ...Object.fromEntries(optionalPurposes.map((p) => [p.code, !!optional[p.code]])),
    };
    const input = {
      displayName: displayName.trim(),
      email: email.trim(),
      password,
      locale,
      noticeVersion: notice.data.version,
      consents,
    };
    const extra = consent ? {} : { consent: t('errors:field.consent') };
    if (!form.check(SignUpInput, input, extra)) return;
    signUp.mutate(input, { onError: (err) => form.fromApi(err) });
  };

  if (signUp.isSuccess) {
    return (
      <AuthCard title={t('signUp.checkTitle')}>
        <Stack gap="sm">
          <Text role="status">{t('signUp.checkBody', { email: email.trim() })}</Text>
          <Text size="sm">{t('signUp.checkHint')}</Text>
          <ErrorAlert error={resend.error} />
          <Group>
            <Button
              variant="outline"
              onClick={() => resend.mutate(email.trim())}
              loading={resend.isPending}
              disabled={resend.isSuccess}
            >
              {t('signUp.resend')}
            </Button>
            <Anchor component={Link} to="/sign-in">
              {t('signUp.toSignIn')}
            </Anchor>
          </Group>
          {resend.isSuccess && <Text role="status">{t('signIn.resent')}</Text>}
          {health.data?.demo && (
            <Text size="sm">
              {t('mailbox.demoHint')}{' '}
              <Anchor component={Link} to="/mailbox">
                {t('mailbox.demoHintLink')}
              </Anchor>
            </Text>
          )}
        </Stack>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t('signUp.title')}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <ErrorAlert error={signUp.error} />
          <RequiredNote />
          <TextInput
            label={t('fields.displayName')}
            autoComplete="name"
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            error={form.errors.displayName}
            required
          />
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
            description={t('fields.passwordHelp', { min: PASSWORD_MIN })}
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={form.errors.password}
            required
            visibilityToggleButtonProps={{ 'aria-label': t('fields.togglePassword') }}
          />
          <NativeSelect
            label={t('fields.locale')}
            value={locale}
            onChange={(e) => setLocale(e.currentTarget.value === 'en' ? 'en' : 'zh-TW')}
            data={[
              { value: 'zh-TW', label: t('common:language.zh-TW') },
              { value: 'en', label: t('common:language.en') },
            ]}
            error={form.errors.locale}
          />
          <Paper withBorder p="sm" bg="gray.0" component="section" aria-labelledby="notice-title">
            <ErrorAlert error={notice.error} />
            {notice.data && (
              <>
                <Title order={2} size="h5" id="notice-title" mb="xs">
                  {notice.data.title[lang]}
                </Title>
                <List size="sm" spacing={4}>
                  {notice.data.sections.map((s) => (
                    <List.Item key={s.key}>
                      <strong>
                        {s.heading[lang]}
                        {lang === 'en' ? ': ' : '：'}
                      </strong>
                      {s.body[lang]}
                    </List.Item>
                  ))}
                </List>
              </>
            )}
            <Text size="sm" mt="xs">
              {t('notice.more')}{' '}
              <Anchor component={Link} to="/privacy" target="_blank">
                {t('notice.privacyLink')}
              </Anchor>
            </Text>
          </Paper>
          <Checkbox
            label={t('notice.consent')}
            description={required.map((p) => p.label[lang]).join('、')}
            checked={consent}
            onChange={(e) => setConsent(e.currentTarget.checked)}
            error={form.errors.consent ?? form.errors['consents.programme_administration']}
            required
          />
          {optionalPurposes.length > 0 && (
            <Fieldset legend={t('notice.optionalTitle')} variant="unstyled">
              <Text size="sm" mb="xs">
                {t('notice.optionalHelp')}
              </Text>
              <Stack gap="xs">
                {optionalPurposes.map((p) => (
                  <Checkbox
                    key={p.code}
                    label={p.label[lang]}
                    description={p.description[lang]}
                    checked={!!optional[p.code]}
                    onChange={(e) => {
                      const checked = e.currentTarget.checked;
                      setOptional((o) => ({ ...o, [p.code]: checked }));
                    }}
                  />
                ))}
              </Stack>
            </Fieldset>
          )}
          <Button type="submit" loading={signUp.isPending} disabled={!notice.data}>
            {t('signUp.submit')}
          </Button>
          <Anchor component={Link} to="/sign-in">
            {t('signUp.haveAccount')}
          </Anchor>
        </Stack>
      </form>
    </AuthCard>
  );
}
