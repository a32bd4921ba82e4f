import type { Schemas } from '../../api/client'

/** What every tab of the partnership page gets. */
export type TabProps = {
  partnership: Schemas['PartnershipDetail']
  /** may change the partnership (staff who write) */
  canEdit: boolean
  /** may report outcomes and assessments (writers and the partnership's organisations) */
  canReport: boolean
}
