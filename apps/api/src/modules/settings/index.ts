export { createSettingsService, type SettingsService } from './settings.service.ts';
export { settingsRoutes } from './settings.routes.ts';
export { SETTING_DEFINITIONS, type SettingKey } from './settings.definitions.ts';
