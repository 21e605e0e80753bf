// electron-vite copies files imported with `?asset` next to the bundle and resolves them to a runtime path.
declare module '*?asset' {
  const path: string
  export default path
}
