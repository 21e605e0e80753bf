import type { ContractHandlers, ContractTable } from '../../../shared/api/contract-kit'
import type { Result } from '../../../shared/api/result'
import { err, ok } from '../../../shared/api/result'
import type { Logger } from '../log/logger'
import { AppError } from './app-error'

/** Runs one contract call for any transport: parse input, run the handler, wrap the outcome. */
export interface Dispatcher {
  hasMethod(name: string): boolean
  call(name: string, rawInput: unknown): Promise<Result<unknown>>
}

const MAX_ISSUES_REPORTED = 3

/**
 * The only place where a method name meets a handler. The lookup is over the
 * contract's own keys (Object.hasOwn), so no prototype or unlisted function
 * can be reached by name. Handlers never see unparsed input; their exceptions
 * never cross as stacks: an AppError keeps its code and message, anything
 * else becomes 'internal' and is logged here in the main process.
 */
export function createDispatcher<C extends ContractTable>(
  contract: C,
  handlers: ContractHandlers<C>,
  log: Logger
): Dispatcher {
  const hasMethod = (name: string): boolean => typeof name === 'string' && Object.hasOwn(contract.methods, name)

  async function call(name: string, rawInput: unknown): Promise<Result<unknown>> {
    if (!hasMethod(name)) return err('bad-request', 'Unknown method.')
    const spec = contract.methods[name]!
    const parsed = spec.input.safeParse(rawInput)
    if (!parsed.success) {
      const where = parsed.error.issues
        .slice(0, MAX_ISSUES_REPORTED)
        .map((issue) => `${issue.path.map(String).join('.') || 'input'}: ${issue.message}`)
        .join('; ')
      return err('invalid-input', `Invalid input for ${name}: ${where}`)
    }
    const handler = (handlers as Record<string, (input: unknown) => Promise<unknown>>)[name]!
    try {
      return ok(await handler(parsed.data))
    } catch (error) {
      if (error instanceof AppError) return err(error.code, error.message)
      log.error('handler-failed', { method: name, error: error instanceof Error ? error.name : typeof error })
      return err('internal', 'Something went wrong in Tessera. The details are in the log.')
    }
  }

  return { hasMethod, call }
}
