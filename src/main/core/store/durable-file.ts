import { randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** Temp files start with this prefix so the orphan sweep can recognise leftovers of a crash. */
export const TEMP_PREFIX = '.tmp-'

/**
 * Writes a file so that a crash leaves either no file or the complete file:
 * write to a temp file in the same directory, fsync it, rename it into place
 * (atomic on POSIX and NTFS), fsync the directory so the rename is durable.
 * `write` receives the open temp file; on any failure the temp file goes.
 */
export async function writeDurably(path: string, write: (handle: FileHandle) => Promise<void>, mode = 0o600): Promise<void> {
  const temp = join(dirname(path), `${TEMP_PREFIX}${basename(path)}-${randomBytes(6).toString('hex')}`)
  const handle = await open(temp, 'wx', mode)
  try {
    await write(handle)
    await handle.sync()
  } catch (error) {
    await handle.close()
    await rm(temp, { force: true })
    throw error
  }
  await handle.close()
  try {
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
  await syncDirectory(dirname(path))
}

export async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === 'win32') return // Windows cannot open a directory for fsync
  const handle = await open(directory, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
