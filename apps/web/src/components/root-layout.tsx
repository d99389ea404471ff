import { useEffect, useRef } from 'react';
import { Anchor, Box, Burger, Button, Container, Drawer, Group, NavLink, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { healthQueryOptions, meQueryOptions, rolesOf } from '../lib/session';
import { LanguageSwitch, useAccountLocale } from './language-switch';
import { activeNavItem, navFor } from './nav-items';

const PUBLIC_NAV = [
  { to: '/', labelKey: 'nav.home' },
  { to: '/programme', labelKey: 'programme:nav' },
  { to: '/sitemap', labelKey: 'nav.siteMap' },
] as const;

/** Every page: skip link, 導盲磚 anchors (U/C/Z), header with navigation, main, footer. */
export function RootLayout() {
  const { t } = useTranslation();
  const { data: me } = useQuery(meQueryOptions);
  const { data: health } = useQuery(healthQueryOptions);
  const [opened, { toggle, close }] = useDisclosure(false);
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const signedIn = me?.stage === 'signed_in';
  // A sign-in still waiting for its second step can be abandoned from the header.
  const partial = !!me && !signedIn;
  // In the drawer the public links come first; the app's own list leaves out what they already show.
  const appNav = signedIn ? navFor(rolesOf(me)).filter((i) => !PUBLIC_NAV.some((p) => p.to === i.to)) : [];
  const activeNav = activeNavItem(appNav, pathname);
  const mainRef = useRef<HTMLElement>(null);

  useAccountLocale();
  // After a client-side navigation, move focus to the new page's content, as a page load would.
  const firstPath = useRef(true);
  useEffect(() => {
    close();
    if (firstPath.current) {
      firstPath.current = false;
      return;
    }
    mainRef.current?.focus();
  }, [pathname, close]);

  return (
    <>
      <a className="skip-link" href="#main-content">
        {t('skipToContent')}
      </a>
      <header className="site-header">
        {/* Inside the banner landmark, so screen-reader users meet it with the site's header. */}
        {health?.demo && (
          <div className="demo-banner" role="note" data-testid="demo-banner">
            {t('demoBanner')}
          </div>
        )}
        <Container size="xl" py="xs">
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
              <a
                className="accesskey"
                href="#top-area"
                id="top-area"
                accessKey="U"
                title={t('accesskey.top')}
              >
                :::
              </a>
              <Link to="/" className="brand-link">
                <span className="hide-mobile">{t('siteName')}</span>
                <span className="hide-desktop">{t('siteNameShort')}</span>
              </Link>
            </Group>
            <nav aria-label={t('nav.main')} className="hide-mobile">
              <Group gap={4} wrap="nowrap">
                {PUBLIC_NAV.map((i) => (
                  <Link key={i.to} to={i.to} className="header-nav-link" activeOptions={{ exact: true }}>
                    {t(i.labelKey)}
                  </Link>
                ))}
                {signedIn ? (
                  <>
                    <Link to="/dashboard" className="header-nav-link">
                      {t('nav.dashboard')}
                    </Link>
                    <Link to="/account" className="header-nav-link">
                      {t('nav.account')}
                    </Link>
                    <Link to="/sign-out" className="header-nav-link">
                      {t('nav.signOut')}
                    </Link>
                  </>
                ) : partial ? (
                  <Link to="/sign-out" className="header-nav-link">
                    {t('nav.signOut')}
                  </Link>
                ) : (
                  <>
                    <Link to="/sign-in" className="header-nav-link">
                      {t('nav.signIn')}
                    </Link>
                    <Link to="/sign-up" className="header-nav-link">
                      {t('nav.signUp')}
                    </Link>
                  </>
                )}
              </Group>
            </nav>
            <Group gap="xs" wrap="nowrap">
              <LanguageSwitch />
              <Burger
                className="hide-desktop"
                opened={opened}
                onClick={toggle}
                aria-label={opened ? t('nav.closeMenu') : t('nav.openMenu')}
                aria-expanded={opened}
                aria-controls="mobile-nav"
              />
            </Group>
          </Group>
        </Container>
      </header>
      <Drawer
        opened={opened}
        onClose={close}
        title={t('nav.menuTitle')}
        id="mobile-nav"
        size="xs"
        closeButtonProps={{ 'aria-label': t('nav.closeMenu') }}
      >
        <nav aria-label={t('nav.main')}>
          <Stack gap={0}>
            {PUBLIC_NAV.map((i) => (
              <NavLink
                key={i.to}
                component={Link}
                to={i.to}
                label={t(i.labelKey)}
                active={pathname === i.to}
              />
            ))}
            {appNav.map((i) => (
              <NavLink
                key={i.to}
                component={Link}
                to={i.to}
                label={t(i.labelKey)}
                active={i.to === activeNav}
              />
            ))}
            {signedIn || partial ? (
              <NavLink component={Link} to="/sign-out" label={t('nav.signOut')} />
            ) : (
              <>
                <NavLink
                  component={Link}
                  to="/sign-in"
                  label={t('nav.signIn')}
                  active={pathname === '/sign-in'}
                />
                <NavLink
                  component={Link}
                  to="/sign-up"
                  label={t('nav.signUp')}
                  active={pathname === '/sign-up'}
                />
              </>
            )}
          </Stack>
        </nav>
      </Drawer>
      <main id="main-content" className="main-content" tabIndex={-1} ref={mainRef}>
        <Container size="xl" pt="xs">
          <a
            className="accesskey"
            href="#center-area"
            id="center-area"
            accessKey="C"
            title={t('accesskey.center')}
          >
            :::
          </a>
        </Container>
        <Outlet />
      </main>
      <footer className="site-footer">
        <Container size="xl" py="lg">
          <a
            className="accesskey"
            href="#bottom-area"
            id="bottom-area"
            accessKey="Z"
            title={t('accesskey.bottom')}
          >
            :::
          </a>
          <nav aria-label={t('nav.footer')}>
            <Group gap="md" my="sm" wrap="wrap">
              <Anchor component={Link} to="/sitemap">
                {t('nav.siteMap')}
              </Anchor>
              <Anchor component={Link} to="/privacy">
                {t('nav.privacy')}
              </Anchor>
              <Anchor component={Link} to="/security">
                {t('nav.security')}
              </Anchor>
              <Anchor component={Link} to="/accessibility">
                {t('nav.accessibility')}
              </Anchor>
            </Group>
          </nav>
          <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
            <Stack gap={2}>
              <Text size="sm">{t('footer.owner')}</Text>
              <Text size="sm">{t('footer.contact')}</Text>
              <Text size="sm">{t('footer.hours')}</Text>
              <Text size="sm">{t('footer.copyright')}</Text>
            </Stack>
            <Box
              data-testid="a11y-mark-slot"
              p="xs"
              style={{ border: '1px dashed var(--mantine-color-gray-6)', minWidth: 88, minHeight: 31 }}
            >
              <Text size="xs">{t('footer.a11yMarkSlot')}</Text>
            </Box>
          </Group>
        </Container>
      </footer>
    </>
  );
}

/** Pages open to everyone (programme structure, reference data): with the side navigation when signed in. */
export function OpenLayout() {
  const { data: me } = useQuery(meQueryOptions);
  if (me?.stage === 'signed_in') return <AppLayout />;
  return (
    <Container size="xl" py="md">
      <Outlet />
    </Container>
  );
}

/** The signed-in area: a side navigation on wide screens (the drawer has it on phones). */
export function AppLayout() {
  const { t } = useTranslation();
  const { data: me } = useQuery(meQueryOptions);
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const items = navFor(rolesOf(me ?? null));
  const activeNav = activeNavItem(items, pathname);
  return (
    <Container size="xl" py="md">
      <Group align="flex-start" wrap="nowrap" gap="xl">
        <nav aria-label={t('nav.app')} className="hide-mobile side-nav" style={{ width: 200, flexShrink: 0 }}>
          <Stack gap={0} w="100%">
            {items.map((i) => (
              <NavLink
                key={i.to}
                component={Link}
                to={i.to}
                label={t(i.labelKey)}
                active={i.to === activeNav}
                aria-current={i.to === activeNav ? 'page' : undefined}
              />
            ))}
            <Button component={Link} to="/sign-out" variant="subtle" justify="flex-start" mt="sm">
              {t('nav.signOut')}
            </Button>
          </Stack>
        </nav>
        <Box style={{ flex: 1, minWidth: 0 }}>
          <Outlet />
        </Box>
      </Group>
    </Container>
  );
}
