// Issue 16: the local database answers equality, $in and _id-sorted pages on
// indexed fields from PostgreSQL's indexes (infra/ferretdb/postgresql-pushdown.patch).
// Speed is bench/database.bench.ts's business; this proves the pushed-down
// shapes return exactly what MongoDB would, against answers computed here,
// including the filters the patch must leave to FerretDB (non-indexed keys,
// operators it does not push down) combined with a sort and a limit.
import { describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { useScratchDatabase } from '../support/scratch-database.ts';

const database = useScratchDatabase('pushdown-check');
const { ObjectId, Double } = mongoose.mongo;

type Row = { _id: InstanceType<typeof ObjectId>; org: string; status: string; seq: number; note?: string };

const ORGS = ['a', 'b', 'c'];
const rows: Row[] = Array.from({ length: 90 }, (_, i) => ({
  _id: new ObjectId(),
  org: ORGS[i % 3]!,
  status: i % 4 ? 'PAID' : 'OPEN',
  seq: i,
  ...(i % 5 === 0 ? { note: 'flagged' } : {}),
}));
const byIdDesc = (a: Row, b: Row) => b._id.toHexString().localeCompare(a._id.toHexString());
const ids = (list: { _id: InstanceType<typeof ObjectId> }[]) => list.map((r) => r._id.toHexString());

async function collection() {
  const c = database().collection<Row>('rows');
  if ((await c.estimatedDocumentCount()) === 0) {
    await c.createIndexes([{ key: { org: 1, _id: -1 } }, { key: { status: 1, _id: -1 } }, { key: { seq: 1 } }]);
    // Even ones stored as doubles beside odd int32s: 2 and 2.0 are equal for MongoDB.
    await c.insertMany(rows.map((r) => ({ ...r, seq: r.seq % 2 ? r.seq : (new Double(r.seq) as unknown as number) })));
  }
  return c;
}

describe('indexed pushdown on the local database returns what MongoDB returns', () => {
  it('equality and $in on indexed fields, numbers of either type, _id lookups', async () => {
    const c = await collection();
    expect(ids(await c.find({ org: 'b' }).toArray()).sort()).toEqual(ids(rows.filter((r) => r.org === 'b')).sort());
    expect(ids(await c.find({ org: { $eq: 'c' }, status: 'OPEN' }).toArray()).sort()).toEqual(ids(rows.filter((r) => r.org === 'c' && r.status === 'OPEN')).sort());
    expect(ids(await c.find({ org: { $in: ['a', 'c'] } }).toArray()).sort()).toEqual(ids(rows.filter((r) => r.org !== 'b')).sort());
    expect(ids(await c.find({ _id: { $in: [rows[3]!._id, rows[40]!._id, new ObjectId()] } }).toArray()).sort()).toEqual(ids([rows[3]!, rows[40]!]).sort());
    expect(await c.findOne({ _id: rows[17]!._id })).toMatchObject({ org: rows[17]!.org, seq: rows[17]!.seq });
    expect(ids(await c.find({ seq: 2 }).toArray())).toEqual(ids([rows[2]!]));
    expect(ids(await c.find({ seq: { $in: [4.0, 5] } }).toArray()).sort()).toEqual(ids([rows[4]!, rows[5]!]).sort());
    expect(await c.countDocuments({ org: 'zzz' })).toBe(0);
  });

  it('_id-sorted pages: pushed down when the whole filter is indexed, still right when it is not', async () => {
    const c = await collection();
    const open = rows.filter((r) => r.status === 'OPEN').sort(byIdDesc);
    expect(ids(await c.find({ status: 'OPEN' }).sort({ _id: -1 }).skip(5).limit(5).toArray())).toEqual(ids(open.slice(5, 10)));
    expect(ids(await c.find({}).sort({ _id: 1 }).limit(7).toArray())).toEqual(ids([...rows].sort(byIdDesc).reverse().slice(0, 7)));
    // A non-indexed key (note) and an operator left to FerretDB ($gt): the limit must not cut before they filter.
    const flaggedA = rows.filter((r) => r.org === 'a' && r.note === 'flagged').sort(byIdDesc);
    expect(ids(await c.find({ org: 'a', note: 'flagged' }).sort({ _id: -1 }).limit(3).toArray())).toEqual(ids(flaggedA.slice(0, 3)));
    const late = rows.filter((r) => r.status === 'PAID' && r.seq > 60).sort(byIdDesc);
    expect(ids(await c.find({ status: 'PAID', seq: { $gt: 60 } }).sort({ _id: -1 }).limit(4).toArray())).toEqual(ids(late.slice(0, 4)));
  });

  it('updates and deletes by an indexed field touch exactly the matching documents', async () => {
    const c = database().collection<{ _id: string; org: string; n: number }>('writes');
    await c.createIndex({ org: 1 });
    await c.insertMany(Array.from({ length: 30 }, (_, i) => ({ _id: `w${i}`, org: `o${i % 3}`, n: 0 })));
    expect((await c.updateMany({ org: 'o1' }, { $inc: { n: 1 } })).modifiedCount).toBe(10);
    expect((await c.deleteMany({ org: { $in: ['o2'] } })).deletedCount).toBe(10);
    expect(await c.countDocuments({ n: 1 })).toBe(10);
    expect(await c.countDocuments({})).toBe(20);
  });
});
