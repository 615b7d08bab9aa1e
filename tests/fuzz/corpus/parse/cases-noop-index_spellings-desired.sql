CREATE TABLE t (a integer, b text);
CREATE INDEX t_ab ON public.t USING btree (a ASC NULLS LAST, b DESC NULLS FIRST);
CREATE INDEX t_lb ON t USING btree ((lower(b)));
