export { seedDemo, DEMO_ACCOUNTS, DEMO_ENTERPRISE_ID, DEMO_AGENCY_CODE } from './demo.seed.ts';
