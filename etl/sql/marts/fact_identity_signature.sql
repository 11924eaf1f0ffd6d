-- grain: signature_event_id
-- references: user_id -> stg_identity__user_account.user_id, person_id -> stg_hr__person.person_id, unit_id -> dim_org.org_id, sign_date -> dim_date.date_day
-- One row per e-signature attempt of a live account; unit_id as in fact_identity_login.
-- signature_success_rate = success / rows; latency median and P95 over latency_ms.
-- A row that names a withdrawn (soft-deleted) person is held back by the src views, like every
-- row whose parent is withdrawn (etl/run.py _clean_views); person_id is null only when unset.
create or replace table fact_identity_signature as
with signatures as (select * from stg_identity__signature_event),
accounts as (select * from stg_identity__user_account),
persons as (select * from dim_person),
staff as (select person_id from stg_hr__person),
dated as (
    select s.*, a.person_id, a.scope_unit_id, cast(s.signed_at as date) as sign_date
    from signatures s
    join accounts a on a.user_id = s.user_id
),
final as (
    select
        d.signature_event_id,
        d.user_id,
        s.person_id,
        coalesce(p.unit_id, d.scope_unit_id) as unit_id,
        d.source_module,
        d.document_ref,
        d.seal_kind,
        d.signed_at,
        d.sign_date,
        d.success,
        d.latency_ms,
        d.failure_reason
    from dated d
    left join persons p
        on p.person_id = d.person_id and d.sign_date >= p.valid_from and d.sign_date < p.valid_to
    left join staff s on s.person_id = d.person_id
)
select * from final;
