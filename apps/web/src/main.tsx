import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './styles.css';
import './lib/i18n';
import { theme } from './lib/theme';
import { queryClient, setUnauthorizedHandler } from './lib/query-client';
import { setCsrfToken } from './lib/api';
import { sessionKeys } from './lib/session';
import { router } from './routes/router';

setUnauthorizedHandler(() => {
  setCsrfToken(null);
  queryClient.setQueryData(sessionKeys.me, null);
  const here = router.state.location;
  if (here.pathname !== '/sign-in') void router.navigate({ to: '/sign-in', search: { redirect: here.href } });
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
