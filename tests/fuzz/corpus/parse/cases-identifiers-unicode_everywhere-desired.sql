CREATE SCHEMA "ünïcode";
CREATE TYPE "ünïcode"."état" AS ENUM ('prêt', 'fini');
CREATE TABLE "ünïcode"."tâche" ("id" integer PRIMARY KEY, "état" "ünïcode"."état", "日付" date);
CREATE INDEX "tâche_日付_idx" ON "ünïcode"."tâche" ("日付");
