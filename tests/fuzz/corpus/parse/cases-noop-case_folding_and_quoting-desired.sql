CREATE TABLE "customers" ("id" integer, "fullname" text);
CREATE INDEX "customers_name" ON "customers" USING btree ("fullname");
