import { useEffect } from 'react';
import { Title, type TitleProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Sets the document title and renders the page's one <h1>. */
export function PageTitle({ children, ...rest }: { children: string } & Omit<TitleProps, 'children'>) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = children === t('siteName') ? children : t('pageTitle', { title: children });
  }, [children, t]);
  return (
    <Title order={1} mb="md" {...rest}>
      {children}
    </Title>
  );
}
