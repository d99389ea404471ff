export { createProgrammeService, type ProgrammeService } from './programme.service.ts';
export { programmeRoutes } from './programme.routes.ts';
