CREATE TABLE t (a integer, b text);
create view v as
  select a,
         b
    from t
   where a > 1;
