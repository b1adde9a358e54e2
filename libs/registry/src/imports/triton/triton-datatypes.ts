import type { V2Datatype } from '@slipway/contracts';
import { DataType } from './proto/model_config_pb';

// TYPE_INVALID is proto3's "unset"; TYPE_BF16 has no Open Inference Protocol datatype in Slipway's contracts.
const V2_DATATYPE_OF: Record<DataType, V2Datatype | undefined> = {
  [DataType.TYPE_INVALID]: undefined,
  [DataType.TYPE_BOOL]: 'BOOL',
  [DataType.TYPE_UINT8]: 'UINT8',
  [DataType.TYPE_UINT16]: 'UINT16',
  [DataType.TYPE_UINT32]: 'UINT32',
  [DataType.TYPE_UINT64]: 'UINT64',
  [DataType.TYPE_INT8]: 'INT8',
  [DataType.TYPE_INT16]: 'INT16',
  [DataType.TYPE_INT32]: 'INT32',
  [DataType.TYPE_INT64]: 'INT64',
  [DataType.TYPE_FP16]: 'FP16',
  [DataType.TYPE_FP32]: 'FP32',
  [DataType.TYPE_FP64]: 'FP64',
  [DataType.TYPE_STRING]: 'BYTES',
  [DataType.TYPE_BF16]: undefined,
};

/** The Open Inference Protocol datatype of a Triton `data_type`, or undefined for TYPE_INVALID and TYPE_BF16. */
export function v2DatatypeOf(dataType: DataType): V2Datatype | undefined {
  return V2_DATATYPE_OF[dataType];
}

/** The `data_type` a config.pbtxt spells for a V2 datatype (`TYPE_STRING` for BYTES), for messages in the user's terms. */
export function tritonDatatypeName(datatype: V2Datatype): string {
  const dataType = (Object.keys(V2_DATATYPE_OF).map(Number) as DataType[]).find((candidate) => V2_DATATYPE_OF[candidate] === datatype);
  return dataType === undefined ? datatype : DataType[dataType];
}
