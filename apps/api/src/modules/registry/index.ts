export { createRegistryService, type RegistryService } from './registry.service.ts';
export { registryRoutes } from './registry.routes.ts';
export { createEnterpriseImportKind, createPersonImportKind } from './registry.import-kinds.ts';
