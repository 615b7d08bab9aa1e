-- Expression columns of indexes carry their own statistics targets.
CREATE TABLE public.t (a integer, b text);
CREATE INDEX t_expr ON public.t (lower(b), (a + 1));
CREATE INDEX t_other ON public.t ((a * 2));
ALTER INDEX public.t_expr ALTER COLUMN 2 SET STATISTICS 500;
