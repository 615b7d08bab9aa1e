CREATE TABLE "user" (
	"order" integer,
	"group" text,
	"select" boolean DEFAULT false
);
