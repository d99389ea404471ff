export { createAuthService, grantView, type AuthService, type AuthHooks } from './auth.service.ts';
export { authRoutes } from './auth.routes.ts';
export { activeGrants } from './auth.repository.ts';
export { accountPersonalData } from './auth.personal-data.ts';
