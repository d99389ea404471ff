import type { ReactNode } from 'react';
import { Container, Paper } from '@mantine/core';
import { PageTitle } from '../../../components/page-title';

/** The narrow centred card of the sign-in, sign-up and password pages. */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Container size={520} py="lg" px="sm">
      <Paper withBorder p={{ base: 'md', sm: 'xl' }} radius="md">
        <PageTitle size="h2">{title}</PageTitle>
        {children}
      </Paper>
    </Container>
  );
}
