/** termpress as a library: everything the command line does, for Node scripts. */
export { Blog, openBlog } from './api/blog.js';
export type { CreatePostInput, OpenBlogOptions, PostChanges, UpdateOptions, UpdateResult } from './api/blog.js';
export type { PostQuery, SortKey } from './api/query.js';
export { STATUS_ACTIONS } from './api/comments.js';
export type {
  AddCommentInput,
  AddCommentResult,
  CommentChanges,
  CommentEntry,
  CommentQuery,
  ReplyInput,
  StatusAction,
  StatusChange,
} from './api/comments.js';
export { runDoctor } from './api/doctor.js';
export type { DoctorReport, Finding } from './api/doctor.js';
export {
  CancelledError,
  ConflictError,
  EXIT,
  NotFoundError,
  RefusedError,
  StorageError,
  TermpressError,
  UsageError,
} from './core/errors.js';
export type { BlogSettings, Comment, CommentStatus, ModerationSettings, Post, PostStatus } from './core/types.js';
export type { PostSummary } from './store/summary.js';
