create or replace view stg_office__office_party_branch as
with source as (select * from src.office_party_branch),
final as (
    select
        id as office_party_branch_id, name, unit_id, secretary_id, founded_date,
        member_count
    from source
)
select * from final;
