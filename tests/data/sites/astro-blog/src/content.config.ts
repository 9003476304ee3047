import { defineCollection, z } from 'astro:content';
import { glob } from 'astro/loaders';

// posts live under src/content/blog; the field notes under src/data (a loader's base)
const blog = defineCollection({
  loader: glob({ base: './src/content/blog', pattern: '**/*.{md,mdx}' }),
  schema: ({ image }) => z.object({
    title: z.string(),
    pubDate: z.coerce.date(),
    heroImage: image().optional(),
  }),
});

const notes = defineCollection({
  loader: glob({ pattern: '**/*.md', base: "./src/data/field-notes" }),
});

const drafts = defineCollection({ loader: glob({ base: './src/content/drafts', pattern: '*.md' }) });

export const collections = { blog, journal: notes, drafts };
