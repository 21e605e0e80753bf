import { MAX_BLOB_CHUNK_BYTES, RelayError } from '../../shared/relay/index'
import type { Handler } from './context'
import { requireAuth } from './guards'

/** uploadBlobChunk (docs/relay-protocol.md 4.12): authenticated uploaders, in-order resumable chunks. */
export const uploadBlobChunk: Handler<'uploadBlobChunk'> = (ctx, peer, frame) => {
  requireAuth(peer)
  if (frame.totalSize > ctx.config.maxBlobBytes) throw new RelayError('BLOB_TOO_LARGE', `blobs are limited to ${ctx.config.maxBlobBytes} bytes`)
  if (frame.totalSize === 0 || frame.chunk.length === 0) throw new RelayError('MALFORMED_FRAME', 'empty blob or chunk')
  const result = ctx.blobs.appendChunk(frame.blobHash, frame.totalSize, frame.offset, frame.chunk, ctx.now())
  switch (result.status) {
    case 'hash-mismatch':
      ctx.metrics.inc('blob_hash_mismatches_total')
      throw new RelayError('BLOB_HASH_MISMATCH', 'blob does not hash to its address; upload discarded')
    case 'offset-mismatch':
      throw new RelayError('BLOB_OFFSET_MISMATCH', `expected offset ${result.blob.received}`)
    case 'size-mismatch':
      throw new RelayError('MALFORMED_FRAME', `upload has total size ${result.blob.totalSize}`)
    case 'ok':
      peer.respond({ type: 'blobStatus', requestId: frame.requestId, ...result.blob })
  }
}

export const queryBlob: Handler<'queryBlob'> = (ctx, peer, frame) => {
  const status = ctx.blobs.status(frame.blobHash)
  if (!status) throw new RelayError('NOT_FOUND', 'no such blob')
  peer.respond({ type: 'blobStatus', requestId: frame.requestId, ...status })
}

export const downloadBlobChunk: Handler<'downloadBlobChunk'> = (ctx, peer, frame) => {
  if (frame.length > MAX_BLOB_CHUNK_BYTES) throw new RelayError('MALFORMED_FRAME', `length over ${MAX_BLOB_CHUNK_BYTES}`)
  const status = ctx.blobs.status(frame.blobHash)
  if (!status?.complete) throw new RelayError('NOT_FOUND', 'no such complete blob')
  if (frame.offset > status.totalSize) throw new RelayError('MALFORMED_FRAME', 'offset beyond the end of the blob')
  const chunk = ctx.blobs.read(frame.blobHash, frame.offset, Math.min(frame.length, status.totalSize - frame.offset))
  peer.respond({ type: 'blobChunk', requestId: frame.requestId, totalSize: status.totalSize, offset: frame.offset, chunk })
}
