/** The reactions viewers can give an announcement: the contract's closed list, and the page's buttons (a module of its own, so the page needs no schema library). */
export const REACTIONS = ["👏", "❤️", "🎉", "😂", "😮"] as const;
