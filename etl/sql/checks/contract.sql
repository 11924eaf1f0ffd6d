-- Rows of contract the model constraints cannot catch: approvals against their contract and flow.
select 'contract_approval' as table_name, a.id as source_id, 'after_submission' as check_name,
       '审批开始早于合同提交，或合同未提交' as reason
from raw.contract_approval a
join raw.contract c on c.id = a.contract_id
where c.submitted_at is null or a.started_at < c.submitted_at
union all
select 'contract_approval', a.id, 'matches_flow',
       '审批步骤与流程配置 ' || cast(a.flow_id as varchar) || ' 的合同类型或步骤号不符'
from raw.contract_approval a
join raw.contract c on c.id = a.contract_id
join raw.contract_approval_flow f on f.id = a.flow_id
where f.contract_type <> c.contract_type or f.step_no <> a.step_no
union all
select 'contract', c.id, 'signed_after_approval', '已签订合同仍有未完成或被驳回的末轮审批'
from raw.contract c
where c.signed_at is not null and exists (
    select 1 from raw.contract_approval a
    where a.contract_id = c.id
      and a.round_no = (select max(b.round_no) from raw.contract_approval b where b.contract_id = c.id)
      and (a.decided_at is null or a.decision = '驳回'))
