-- The CRM's export as loaded, every column as text: `lead_stage` reads cells exactly as
-- `leadspec classify` reads a CSV, so no casting happens here.
select * from {{ source('raw', 'crm_leads') }}
