CREATE TABLE "café" (
	"naïve" text,
	"größe" integer,
	"名前" text
);
