export {
  enqueueEmail,
  createOutboxService,
  backoffSeconds,
  type OutboxService,
  type EmailRequest,
} from './outbox.service.ts';
export { renderEmail, EMAIL_TEMPLATES, type EmailTemplate } from './outbox.render.ts';
export { outboxRoutes } from './outbox.routes.ts';
export { outboxPersonalData } from './outbox.personal-data.ts';
