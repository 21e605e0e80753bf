// Types for scripts/make-icons.mjs (plain Node, runnable without a build), for its tests.
export const linuxIconSizes: number[]
export const icoSizes: number[]
export const icnsEntries: [type: string, size: number][]
export const masterIconSize: number
export const trayIconFiles: [file: string, size: number, kind: 'colour' | 'template'][]
export function renderTrayTemplate(size: number): Uint8Array
export function renderIcon(size: number): Uint8Array
export function encodePng(size: number, rgba: Uint8Array): Buffer
export function encodeIco(images: { size: number; png: Buffer }[]): Buffer
export function encodeIcns(elements: { type: string; png: Buffer }[]): Buffer
export function writeAllIcons(root?: string): string[]
