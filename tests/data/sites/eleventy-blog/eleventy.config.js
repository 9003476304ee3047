export default async function (eleventyConfig) {
  // copy public/ to the site's root
  eleventyConfig.addPassthroughCopy({ "./public/": "/" });
  eleventyConfig.addLayoutAlias("page", "layouts/page.njk");
}

export const config = {
  templateFormats: ["md", "njk", "html", "liquid", "11ty.js"],
  markdownTemplateEngine: "njk",
  htmlTemplateEngine: "njk",
  dir: {
    input: "content",
    includes: "../_includes",
    data: "../_data",
    output: "_site",
  },
};
