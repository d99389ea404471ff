export { createAuthService, grantView, type AuthService } from './auth.service.ts';
export { authRoutes } from './auth.routes.ts';
export { activeGrants } from './auth.repository.ts';
