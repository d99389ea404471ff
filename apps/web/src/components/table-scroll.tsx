import type { ReactNode } from 'react';

/**
 * A wide table that scrolls sideways on a phone instead of widening the page. The region is
 * focusable and named, so keyboard users can scroll it too (WCAG 2.1.1).
 */
export function TableScroll({
  label,
  minWidth,
  children,
}: {
  label: string;
  minWidth: number;
  children: ReactNode;
}) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      <div style={{ minWidth }}>{children}</div>
    </div>
  );
}
