import { AppError } from '../api/app-error'

/**
 * Only https links leave the app, and only after the user confirms (the
 * confirmation is the platform's job). Credentials in the URL are refused:
 * "https://bank.example@evil.example" is a classic phishing shape.
 */
export function parseExternalLink(raw: string): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new AppError('invalid-input', 'That is not a valid link.')
  }
  if (url.protocol !== 'https:') throw new AppError('invalid-input', 'Only https links can be opened.')
  if (url.username || url.password) throw new AppError('invalid-input', 'Links with a user name or password are not opened.')
  return url
}
