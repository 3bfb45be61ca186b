import { Schema, type Types } from 'mongoose';

export type WithId<T> = T & { _id: Types.ObjectId };

/** Money: integer minor units plus an ISO-4217 code (BIL-2). */
export const moneySchema = new Schema(
  { amountMinor: { type: Number, required: true }, currency: { type: String, required: true } },
  { _id: false },
);

/** A price finer than a minor unit (e.g. $0.0188 a minute): millionths of the major unit. */
export const microPriceSchema = new Schema(
  { amountMicros: { type: Number, required: true }, currency: { type: String, required: true } },
  { _id: false },
);
