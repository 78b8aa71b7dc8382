/** Types of scripts/site.mjs, for the tests that import it. */

/** The repository root. */
export declare const ROOT: string;

/** The guides in reading order, by group. */
export declare const GUIDE_ORDER: readonly (readonly [string, readonly string[]])[];

/** The text of a Markdown file's first heading. */
export declare function firstHeading(text: string): string | undefined;

/** A request as a playground link carries it. */
export interface LinkRequest {
  readonly url: string;
  readonly method?: string;
  /** `Name: value`. */
  readonly headers?: readonly string[];
}

/** The state part of a playground link, `#` included. */
export declare function playgroundHash(
  policyText: string,
  requests: readonly LinkRequest[],
): string;

/** The (policy, requests) groups of a `decision` block. */
export declare function decisionGroups(
  code: string,
): { policy: string; requests: { method: string; url: string; headers: string[] }[] }[];

/** What {@link buildPlayground} measured. */
export interface PlaygroundBuild {
  /** The bundle's size in bytes. */
  readonly bytes: number;
  /** The bundle's size gzipped (level 9). */
  readonly gzip: number;
  /** How many source files went into it. */
  readonly inputs: number;
}

/** Builds the playground into `out/playground`. */
export declare function buildPlayground(
  out: string,
  options?: { root?: string },
): Promise<PlaygroundBuild>;

/** What {@link buildSite} wrote. */
export interface SiteBuild {
  /** Site paths of the pages (API pages not included). */
  readonly pages: readonly string[];
  /** How many API pages typedoc wrote (0 without `api`). */
  readonly apiPages: number;
  /** Links that lead to no file or anchor, each `where: what`. */
  readonly broken: readonly string[];
  readonly playground: PlaygroundBuild;
  /** How long each part took, in milliseconds. */
  readonly ms: { readonly pages: number; readonly playground: number; readonly api: number };
}

/** Builds the whole site into `out` (emptied first). */
export declare function buildSite(
  out: string,
  options?: { root?: string; api?: boolean; playground?: boolean },
): Promise<SiteBuild>;

/** Total bytes and file count of a folder. */
export declare function folderSize(dir: string): { bytes: number; files: number };
