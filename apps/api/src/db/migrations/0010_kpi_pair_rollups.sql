-- Pair rollups (decision 013): besides the total and each single dimension, every pair of
-- dimensions (`county+gender`, key `64000<US>female`, the two keys joined by the unit separator
-- chr(31)), so that a breakdown filtered by one other dimension (age bands of one county) reads a
-- few thousand rollup rows, not the year's facts. Three or more dimensions still read the facts.
-- The dimensions of one fact, as (dim, key) rows: one SQL function for the trigger and the rebuild.
CREATE FUNCTION kpi_fact_dims(county_code text, industry_section text, sme_status text, gender text, age_band text, category text)
RETURNS TABLE (dim text, key text) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT * FROM (VALUES
    ('total', ''),
    ('county', coalesce(county_code, '')),
    ('industry', coalesce(industry_section, '')),
    ('sme', coalesce(sme_status, '')),
    ('gender', coalesce(gender, '')),
    ('age_band', coalesce(age_band, '')),
    ('category', coalesce(category, '')),
    ('county+industry', coalesce(county_code, '') || chr(31) || coalesce(industry_section, '')),
    ('county+sme', coalesce(county_code, '') || chr(31) || coalesce(sme_status, '')),
    ('county+gender', coalesce(county_code, '') || chr(31) || coalesce(gender, '')),
    ('county+age_band', coalesce(county_code, '') || chr(31) || coalesce(age_band, '')),
    ('county+category', coalesce(county_code, '') || chr(31) || coalesce(category, '')),
    ('industry+sme', coalesce(industry_section, '') || chr(31) || coalesce(sme_status, '')),
    ('industry+gender', coalesce(industry_section, '') || chr(31) || coalesce(gender, '')),
    ('industry+age_band', coalesce(industry_section, '') || chr(31) || coalesce(age_band, '')),
    ('industry+category', coalesce(industry_section, '') || chr(31) || coalesce(category, '')),
    ('sme+gender', coalesce(sme_status, '') || chr(31) || coalesce(gender, '')),
    ('sme+age_band', coalesce(sme_status, '') || chr(31) || coalesce(age_band, '')),
    ('sme+category', coalesce(sme_status, '') || chr(31) || coalesce(category, '')),
    ('gender+age_band', coalesce(gender, '') || chr(31) || coalesce(age_band, '')),
    ('gender+category', coalesce(gender, '') || chr(31) || coalesce(category, '')),
    ('age_band+category', coalesce(age_band, '') || chr(31) || coalesce(category, ''))
  ) AS d(dim, key)
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kpi_facts_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  src text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT nf.*, 1 AS sign FROM new_facts nf'
    WHEN 'DELETE' THEN 'SELECT o.*, -1 AS sign FROM old_facts o'
    ELSE 'SELECT nf.*, 1 AS sign FROM new_facts nf UNION ALL SELECT o.*, -1 AS sign FROM old_facts o'
  END;
BEGIN
  EXECUTE format($q$
    INSERT INTO kpi_rollups AS r (kpi_code, year, dim, part, month, measure_code, agency_id, key, v, n, vm, nm)
    SELECT f.kpi_code, f.year, d.dim, f.part, f.month, coalesce(f.measure_code, ''),
      coalesce(f.agency_id::text, ''), d.key,
      coalesce(sum(f.value * f.sign) FILTER (WHERE f.counted_kpi), 0),
      coalesce(sum(f.sign) FILTER (WHERE f.counted_kpi), 0),
      coalesce(sum(f.value * f.sign) FILTER (WHERE f.counted_measure), 0),
      coalesce(sum(f.sign) FILTER (WHERE f.counted_measure), 0)
    FROM (%s) f
    CROSS JOIN LATERAL kpi_fact_dims(f.county_code, f.industry_section, f.sme_status, f.gender, f.age_band,
      f.category) d
    WHERE f.counted_kpi OR f.counted_measure
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
    ON CONFLICT ON CONSTRAINT kpi_rollups_pkey DO UPDATE
      SET v = r.v + excluded.v, n = r.n + excluded.n, vm = r.vm + excluded.vm, nm = r.nm + excluded.nm
  $q$, src);
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- The rollups are derived: rebuilt here from the counted facts with the new dimensions.
DELETE FROM kpi_rollups;
--> statement-breakpoint
INSERT INTO kpi_rollups (kpi_code, year, dim, part, month, measure_code, agency_id, key, v, n, vm, nm)
SELECT f.kpi_code, f.year, d.dim, f.part, f.month, coalesce(f.measure_code, ''), coalesce(f.agency_id::text, ''),
  d.key,
  coalesce(sum(f.value) FILTER (WHERE f.counted_kpi), 0),
  count(*) FILTER (WHERE f.counted_kpi),
  coalesce(sum(f.value) FILTER (WHERE f.counted_measure), 0),
  count(*) FILTER (WHERE f.counted_measure)
FROM kpi_facts f
CROSS JOIN LATERAL kpi_fact_dims(f.county_code, f.industry_section, f.sme_status, f.gender, f.age_band, f.category) d
WHERE f.counted_kpi OR f.counted_measure
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
