/** `termpress doctor` on a Blog: the checks and repairs live beside the store they check (src/store/doctor.ts). */
import { checkBlog } from '../store/doctor.js';
import type { DoctorReport } from '../store/doctor.js';
import type { Blog } from './blog.js';

export type { DoctorReport, Finding } from '../store/doctor.js';

/** Checks the settings, every post and likes file, the index and the references between them; with fix, repairs what it can. */
export function runDoctor(blog: Blog, options: { fix?: boolean | undefined } = {}): Promise<DoctorReport> {
  return checkBlog(blog.store, options);
}
