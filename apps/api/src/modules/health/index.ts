export { healthRoutes, APP_VERSION } from './health.routes.ts';
