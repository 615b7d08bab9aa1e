CREATE TABLE "Mixed Case" ("Id" integer CONSTRAINT "Mixed PK" PRIMARY KEY, "Weird ""quote""" text, "end" date);
CREATE INDEX "Mixed Idx" ON "Mixed Case" ("Weird ""quote""");
ALTER TABLE "Mixed Case" ADD CONSTRAINT "Check: end" CHECK ("end" > '2000-01-01');
