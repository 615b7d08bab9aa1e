CREATE COLLATION public.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
