// Public API of direct-to-R2 uploads: policy, presigned PUT URLs, their verification, image dimensions.

export {
  type ErasableBucket,
  type EraseUserFilesServices,
  eraseUserFiles,
  eraseUserFilesSpec,
  userPrefix,
} from "./erase.ts";
export { IMAGE_MIME, type ImageInfo, type ImageType, imageSize, sniffImageType } from "./image-size.ts";
export { type LocalPutOptions, serveLocalPut } from "./local-put.ts";
export {
  ALLOWED_TYPES,
  type AllowedType,
  assertUploadRequest,
  checkUploadRequest,
  isAllowedType,
  normaliseType,
  parseUploadKey,
  typeForKey,
  UPLOAD_POLICY,
  type UploadCheck,
  type UploadPolicy,
  uploadKey,
} from "./policy.ts";
export { amzDate, objectUrl, type PresignedUpload, presignUpload, type R2S3Config } from "./presign.ts";
export { type Refused, type Verified, type VerifyOptions, verifyPresigned } from "./verify.ts";
