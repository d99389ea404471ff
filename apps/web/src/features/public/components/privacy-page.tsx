import { PolicyPage } from './policy-page';

const SECTIONS = [
  'organisation',
  'purposes',
  'categories',
  'use',
  'rights',
  'optional',
  'cookies',
  'security',
  'sharing',
  'changes',
] as const;

export function PrivacyPage() {
  return <PolicyPage name="privacy" sections={SECTIONS} />;
}
