export {
  createPersonalDataService,
  rightsPersonalData,
  type PersonalDataService,
} from './personal-data.service.ts';
export { personalDataRoutes } from './personal-data.routes.ts';
