import { PolicyPage } from './policy-page';

const SECTIONS = ['governance', 'access', 'data', 'audit', 'app', 'users', 'report'] as const;

export function SecurityPage() {
  return <PolicyPage name="security" sections={SECTIONS} />;
}
