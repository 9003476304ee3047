module.exports = function (eleventyConfig) {
  return { dir: { input: "." } };
};
