DROP INDEX "accounts_search_trgm_idx";--> statement-breakpoint
CREATE INDEX "accounts_search_trgm_idx" ON "accounts" USING gin (lower("email" || ' ' || "display_name") gin_trgm_ops);