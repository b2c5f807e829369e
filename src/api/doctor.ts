/** `termpress doctor` on a Blog: the checks and repairs live beside the store they check (src/store/doctor.ts). */
import { checkBlog } from '../store/doctor.js';
import type { DoctorReport } from '../store/doctor.js';
import type { Blog } from './blog.js';
import { gitSetupProblems, setupGit } from './git.js';

export type { DoctorReport, Finding } from '../store/doctor.js';

/** Checks the settings, every post and likes file, the index and the references between them; with fix, repairs what it can. */
export async function runDoctor(blog: Blog, options: { fix?: boolean | undefined } = {}): Promise<DoctorReport> {
  // A blog shared through git needs termpress's merge driver registered in each clone, or merges lose data.
  const outer = (await gitSetupProblems(blog)).map((problem) => ({
    problem,
    fix: "register termpress's merge driver (termpress git setup)",
    repair: () => setupGit(blog, { init: false }).then(() => undefined),
  }));
  return checkBlog(blog.store, { ...options, outer });
}
