export { createAccountsService, type AccountsService } from './accounts.service.ts';
export { accountsRoutes } from './accounts.routes.ts';
