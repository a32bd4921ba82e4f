import { useTranslation } from 'react-i18next'
import { api, type Schemas } from '../../api/client'
import { useCodeList } from '../../codes'
import { date, kronor, number } from '../../format'
import { AddForm, Field } from '../../form'
import { newCommitmentDirectionValues, newCommitmentKindValues } from '../../api/schema'
import { codeField, kronorField } from '../../fields'
import { Empty } from '../../states'
import { AddParty } from '../PartnershipEdit'
import type { TabProps } from './tab'

/** Who takes part, and what each gives and gets: the contribution ledger in both directions. */
export default function Parties({ partnership: p, canEdit }: TabProps) {
  const { t } = useTranslation()
  const kinds = useCodeList('commitment_kinds')
  const party = (id?: string) => p.parties?.find((x) => x.id === id)?.organisation_name ?? '–'
  return (
    <>
      <h2>{t('partnership.parties')}</h2>
      {!p.parties?.length ? (
        <Empty />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('partnership.organisation')}</th>
              <th scope="col">{t('partnership.role')}</th>
              <th scope="col">{t('partnership.joined')}</th>
              <th scope="col">{t('partnership.left')}</th>
            </tr>
          </thead>
          <tbody>
            {p.parties.map((x) => (
              <tr key={x.id}>
                <td>{x.organisation_name}</td>
                <td>{t(`roles.${x.role}`, { defaultValue: x.role })}</td>
                <td>{date(x.joined_on)}</td>
                <td>{date(x.left_on)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit && <AddParty partnershipId={p.id!} />}

      <h2>{t('partnership.ledger')}</h2>
      {!p.ledger?.length ? (
        <Empty />
      ) : (
        <table>
          <caption>{t('partnership.ledgerCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('partnership.organisation')}</th>
              <th scope="col">{t('partnership.committed')}</th>
              <th scope="col">{t('partnership.delivered')}</th>
              <th scope="col">{t('partnership.inKind')}</th>
              <th scope="col">{t('partnership.share')}</th>
            </tr>
          </thead>
          <tbody>
            {p.ledger.map((l) => (
              <tr key={l.party_id}>
                <td>{l.organisation_name}</td>
                <td>{kronor(l.committed_valuation_ore ?? 0)}</td>
                <td>{kronor(l.delivered_valuation_ore ?? 0)}</td>
                <td>{kronor(l.in_kind_valuation_ore ?? 0)}</td>
                <td>{l.share_percent != null ? `${number(l.share_percent)} %` : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t('partnership.commitments')}</h2>
      {!p.commitments?.length ? (
        <Empty />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('partnership.organisation')}</th>
              <th scope="col">{t('partnership.direction')}</th>
              <th scope="col">{t('partnership.kind')}</th>
              <th scope="col">{t('partnership.quantity')}</th>
              <th scope="col">{t('partnership.valuation')}</th>
            </tr>
          </thead>
          <tbody>
            {p.commitments.map((c) => (
              <tr key={c.id}>
                <td>{party(c.party_id)}</td>
                <td>{t(`partnership.direction_${c.direction}`)}</td>
                <td>
                  {kinds.label(c.kind!)}
                  {c.description && <span className="muted"> – {c.description}</span>}
                </td>
                <td>{c.quantity != null ? `${number(c.quantity)} ${c.unit ?? ''}` : '–'}</td>
                <td>{c.valuation_ore != null ? kronor(c.valuation_ore) : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit && !!p.parties?.length && <AddCommitment partnership={p} />}
    </>
  )
}

function AddCommitment({ partnership: p }: { partnership: Schemas['PartnershipDetail'] }) {
  const { t } = useTranslation()
  const kinds = useCodeList('commitment_kinds')
  return (
    <AddForm
      title={t('partnership.addCommitment')}
      partnershipId={p.id}
      send={async (v) => {
        // currency null: the API's default, kronor.
        const body: Schemas['NewCommitment'] = {
          party_id: v.party_id ?? '',
          direction: codeField(v.direction, newCommitmentDirectionValues),
          kind: codeField(v.kind, newCommitmentKindValues),
          description: v.description,
          unit: v.unit,
          quantity: v.quantity ? Number(v.quantity.replace(',', '.')) : undefined,
          valuation_ore: kronorField(v.valuation_kr, 'valuation_ore', t('edit.notAmount')),
          currency: null,
        }
        return api.POST('/partnerships/{id}/commitments', { params: { path: { id: p.id! } }, body })
      }}
    >
      {(err) => (
        <>
          <Field id="c-party" label={t('partnership.organisation')} error={err('party_id')}>
            <select name="party_id" defaultValue={p.parties?.[0]?.id}>
              {p.parties?.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.organisation_name}
                </option>
              ))}
            </select>
          </Field>
          <Field id="c-direction" label={t('partnership.direction')} error={err('direction')}>
            <select name="direction" defaultValue="committed">
              {['committed', 'delivered'].map((d) => (
                <option key={d} value={d}>
                  {t(`partnership.direction_${d}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field id="c-kind" label={t('partnership.kind')} error={err('kind')}>
            <select name="kind" defaultValue="volunteer_hours" key={kinds.entries.length}>
              {kinds.entries.map((k) => (
                <option key={k.code} value={k.code}>
                  {kinds.label(k.code!)}
                </option>
              ))}
            </select>
          </Field>
          <Field id="c-desc" label={t('partnership.description')} error={err('description')}>
            <input name="description" />
          </Field>
          <Field id="c-qty" label={t('partnership.quantity')} error={err('quantity')}>
            <input name="quantity" inputMode="decimal" />
          </Field>
          <Field id="c-unit" label={t('edit.unit')} error={err('unit')}>
            <input name="unit" />
          </Field>
          <Field id="c-val" label={t('partnership.valuationKr')} error={err('valuation_ore')}>
            <input name="valuation_kr" inputMode="decimal" />
          </Field>
        </>
      )}
    </AddForm>
  )
}
