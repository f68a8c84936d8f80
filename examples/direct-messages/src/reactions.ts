/** The reactions people can give a message: the contract's closed list, and the page's picker (a module of its own, so the page needs no schema library). */
export const REACTIONS = ["👍", "❤️", "😂", "😮", "😢", "🎉"] as const;
