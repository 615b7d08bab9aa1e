CREATE TABLE "Audit Log" ("Event Type" text, "At" timestamp with time zone);
CREATE INDEX "Audit Log By Type" ON "Audit Log" ("Event Type", "At" DESC);
